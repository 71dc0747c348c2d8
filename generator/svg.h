// Whether an SVG file is safe to publish. A browser runs an SVG opened from
// a link as a document of its own: scripts, event handlers, embedded HTML
// and references to other hosts would bring back what safe Markdown removes.
//
// The file is parsed as XML by libxml2 (no network, no DTD, no entity
// declarations, libxml2's default nesting limit) and every node is checked
// against allow-lists: static drawing elements in the SVG namespace, their
// geometry and presentation attributes, href only to "#id" (and, on
// <image>, to a base64 data: PNG, JPEG, GIF or WebP), and CSS (the style
// attribute, presentation attributes, <style>) without escapes, @import or
// any function but url(#id) and a short list of colour, transform, filter
// and selector functions. Anything not on a list is refused; matching
// dangerous text instead was bypassed by prefixes, namespaces and entities.
//
// A file that fails is refused, not rewritten: the author gets the exact
// finding and its line, and what is published stays byte-identical to the
// source, so readers never see a drawing with parts silently dropped.
#pragma once

#include <string>
#include <string_view>

namespace casebook {

// The first problem found in `svg` (a whole file's bytes), as
// "line N: <what was found> is not allowed in SVG images" or
// "is not well-formed XML: <libxml2's message> (line N)"; "" when the file
// may be published. Safe to call from several threads at once: each call
// has its own parser context and sets no process-wide libxml2 handler.
std::string SvgProblem(std::string_view svg);

}  // namespace casebook
