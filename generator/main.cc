// The casebook command line: flags in, Build(), diagnostics and one summary
// line out. Exit codes: 0 site written (or checked), 1 content errors,
// 2 usage or internal errors. `serve` hands over to Serve() (serve.h), which
// runs until SIGINT or SIGTERM and then exits 0.
#include <chrono>
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>

#include "build.h"
#include "parallel.h"
#include "serve.h"

#ifndef CASEBOOK_VERSION
#define CASEBOOK_VERSION "0.0.0"
#endif

namespace {

void AddBuildFlags(CLI::App* cmd, casebook::BuildOptions& o) {
  cmd->add_option("--content", o.content_dir, "content folder")->capture_default_str();
  cmd->add_option("--templates", o.templates_dir, "templates folder")->capture_default_str();
  cmd->add_option("--jobs,-j", o.jobs, "worker threads")->check(CLI::Range(1, 256))->capture_default_str();
  cmd->add_flag("--strict", o.strict, "treat warnings as errors");
  cmd->add_option("--base-url", o.base_url,
                  "the published address, e.g. https://you.github.io/repo/ (overrides site.yaml)");
  cmd->add_option("--search-library", o.search_library,
                  "lunr.js to copy into the site for its search box")
      ->capture_default_str();
  cmd->add_flag("--no-search", [&o](int64_t) { o.search = false; },
                "build without the search box (and without lunr)");
  cmd->add_flag("--no-cache", [&o](int64_t) { o.disk_cache = false; },
                "convert every formula and graph anew, and keep none on disk");
}

std::string Plural(int n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

int main(int argc, char** argv) {
  casebook::BuildOptions options;
  options.jobs = casebook::DefaultJobs();
  CLI::App app{"casebook: turns Markdown and YAML case studies into a static study site"};
  app.set_version_flag("--version", std::string("casebook ") + CASEBOOK_VERSION);
  app.require_subcommand(1);
  CLI::App* build = app.add_subcommand("build", "build the site into --out");
  AddBuildFlags(build, options);
  build->add_option("--out,-o", options.out_dir, "output folder")
      ->capture_default_str()
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  CLI::App* check = app.add_subcommand("check", "validate everything, write nothing");
  AddBuildFlags(check, options);
  casebook::ServeOptions serve_options;
  CLI::App* serve = app.add_subcommand(
      "serve", "build into memory, serve on 127.0.0.1, rebuild and reload pages on every edit");
  AddBuildFlags(serve, options);
  serve->add_option("--port,-p", serve_options.port, "TCP port (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  serve->add_option("--bind", serve_options.bind,
                    "address to listen on (a loopback address unless --allow-remote)")
      ->capture_default_str();
  serve->add_flag("--allow-remote", serve_options.allow_remote,
                  "allow a --bind address that is not loopback");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  options.write = build->parsed();
  if (serve->parsed()) {
    serve_options.build = options;
    return casebook::Serve(serve_options);
  }

  auto start = std::chrono::steady_clock::now();
  casebook::BuildResult r;
  try {
    r = casebook::Build(options);
  } catch (const std::exception& e) {
    std::cerr << "casebook: internal error: " << e.what() << "\n";
    return 2;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const casebook::Diagnostic& d : r.diags.all())
    std::cerr << casebook::Format(d) << "\n";

  int errors = r.diags.errors(), warnings = r.diags.warnings();
  char time[32];
  std::snprintf(time, sizeof time, "%.2f s", seconds);
  std::string counts = Plural(warnings, "warning") + ", " + Plural(errors, "error");
  if (errors > 0) {
    std::cerr << "casebook: " << counts << "; "
              << (!options.write ? "check failed"
                  : options.out_dir.empty() ? "nothing written"
                                            : options.out_dir + " left unchanged")
              << " (" << time << ")\n";
    return r.usage_error ? 2 : 1;
  }
  if (options.write)
    std::cout << "casebook: wrote " << Plural(r.pages, "page") << " (" << r.files
              << " files) to " << options.out_dir << "/; " << counts << " (" << time << ")\n";
  else
    std::cout << "casebook: checked " << Plural(r.pages, "page") << "; " << counts << " ("
              << time << ")\n";
  return 0;
}
