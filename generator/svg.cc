#include "svg.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include "text.h"

namespace casebook {

namespace {

constexpr std::string_view kSvgNs = "http://www.w3.org/2000/svg";
constexpr std::string_view kXlinkNs = "http://www.w3.org/1999/xlink";
constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";

// Elements that draw, group, describe or style and do nothing else. Left
// out on purpose: script, foreignObject, a's cousins that embed other
// documents, feImage and cursor (they fetch), and all animation elements
// (set, animate, animateTransform, animateMotion, mpath, discard), since
// an animation can give an attribute, href included, a value the check
// never saw.
const std::set<std::string_view>& AllowedElements() {
  static const std::set<std::string_view> kElements = {
      "svg", "g", "defs", "symbol", "use", "switch", "title", "desc", "metadata", "a",
      "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
      "textPath", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern",
      "marker", "image", "style", "filter", "feBlend", "feColorMatrix",
      "feComponentTransfer", "feComposite", "feConvolveMatrix", "feDiffuseLighting",
      "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB",
      "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology",
      "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile",
      "feTurbulence"};
  return kElements;
}

// Attributes without a namespace, on any allowed element: an attribute
// that means nothing on some element is harmless there. No on* handler is
// here, and href is checked on its own (HrefProblem).
const std::set<std::string_view>& AllowedAttributes() {
  static const std::set<std::string_view> kAttributes = {
      // Identity, accessibility, the root and <style>.
      "id", "class", "style", "lang", "role", "aria-label", "aria-labelledby",
      "aria-describedby", "aria-hidden", "focusable", "version", "baseProfile", "viewBox",
      "preserveAspectRatio", "type", "media", "href",
      // Geometry and text layout.
      "x", "y", "width", "height", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx",
      "fy", "fr", "d", "points", "pathLength", "transform", "dx", "dy", "rotate",
      "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side",
      // Gradients, patterns, clips, masks, markers, filters: units and placement.
      "gradientUnits", "gradientTransform", "spreadMethod", "offset", "patternUnits",
      "patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits",
      "maskContentUnits", "markerUnits", "markerWidth", "markerHeight", "refX", "refY",
      "orient", "filterUnits", "primitiveUnits",
      // Filter primitives.
      "in", "in2", "result", "stdDeviation", "mode", "operator", "k1", "k2", "k3", "k4",
      "values", "tableValues", "slope", "intercept", "amplitude", "exponent", "order",
      "kernelMatrix", "divisor", "bias", "targetX", "targetY", "edgeMode", "preserveAlpha",
      "surfaceScale", "diffuseConstant", "specularConstant", "specularExponent",
      "kernelUnitLength", "scale", "xChannelSelector", "yChannelSelector", "radius",
      "baseFrequency", "numOctaves", "seed", "stitchTiles", "azimuth", "elevation", "z",
      "pointsAtX", "pointsAtY", "pointsAtZ", "limitingConeAngle",
      // Presentation attributes (cursor left out: it fetches an image).
      "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color",
      "color-interpolation", "color-interpolation-filters", "color-rendering", "direction",
      "display", "dominant-baseline", "enable-background", "fill", "fill-opacity",
      "fill-rule", "filter", "flood-color", "flood-opacity", "font-family", "font-size",
      "font-size-adjust", "font-stretch", "font-style", "font-variant", "font-weight",
      "image-rendering", "isolation", "letter-spacing", "lighting-color", "marker-start",
      "marker-mid", "marker-end", "mask", "mix-blend-mode", "opacity", "overflow",
      "paint-order", "pointer-events", "shape-rendering", "stop-color", "stop-opacity",
      "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
      "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor",
      "text-decoration", "text-rendering", "transform-origin", "unicode-bidi",
      "vector-effect", "visibility", "word-spacing", "writing-mode"};
  return kAttributes;
}

// CSS functions that compute a value and never fetch: colours, arithmetic,
// transforms, filter effects, timing and selectors. url() is checked on
// its own; image-set(), attr(), paint(), expression() and the rest are out.
const std::set<std::string_view>& AllowedCssFunctions() {
  static const std::set<std::string_view> kFunctions = {
      "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color",
      "calc", "min", "max", "clamp", "var", "translate", "translatex", "translatey",
      "rotate", "scale", "scalex", "scaley", "skew", "skewx", "skewy", "matrix", "blur",
      "brightness", "contrast", "drop-shadow", "grayscale", "hue-rotate", "invert",
      "opacity", "saturate", "sepia", "cubic-bezier", "steps", "not", "is", "where",
      "nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type", "lang"};
  return kFunctions;
}

std::string_view Str(const xmlChar* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

// The text of an attribute, with entities and character references
// already decoded by libxml2. Not for elements: there it would join the
// text of descendants too (see StyleSheetText).
std::string Content(const xmlAttr* attr) {
  xmlChar* raw = xmlNodeGetContent(reinterpret_cast<const xmlNode*>(attr));
  std::string s(Str(raw));
  xmlFree(raw);
  return s;
}

// A value as quoted in a message: at most about 60 bytes (cut at a UTF-8
// character boundary), control characters shown as spaces.
std::string Shown(std::string_view value) {
  size_t n = value.size();
  if (n > 60) {
    n = 60;
    while (n > 0 && (static_cast<unsigned char>(value[n]) & 0xC0) == 0x80) --n;
  }
  std::string s(value.substr(0, n));
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return n < value.size() ? s + "…" : s;
}

// The name as the author wrote it, prefix included, quoted.
std::string Quoted(std::string_view name, const xmlNs* ns) {
  std::string prefix = ns && ns->prefix ? std::string(Str(ns->prefix)) + ":" : "";
  return "'" + prefix + std::string(name) + "'";
}

// "'h:script' (namespace http://…)", "'svg' (no namespace)" or, in the
// SVG namespace, just "'rect'".
std::string ElementLabel(const xmlNode* el) {
  std::string s = Quoted(Str(el->name), el->ns);
  if (!el->ns) return s + " (no namespace)";
  if (Str(el->ns->href) != kSvgNs) s += " (namespace " + std::string(Str(el->ns->href)) + ")";
  return s;
}

// "'onclick'", "'xlink:href'" or "'x:y' (namespace http://…)".
std::string AttributeLabel(const xmlAttr* attr) {
  std::string s = Quoted(Str(attr->name), attr->ns);
  if (!attr->ns) return s;
  std::string_view ns = Str(attr->ns->href);
  if (ns != kXlinkNs && ns != kXmlNs) s += " (namespace " + std::string(ns) + ")";
  return s;
}

std::string AtLine(const xmlNode* node) {
  return "line " + std::to_string(xmlGetLineNo(node)) + ": ";
}

bool IsCssIdentChar(unsigned char c) {
  return IsAsciiAlnum(c) || c == '-' || c == '_' || c >= 0x80;
}

// What is wrong with `css` and at which byte it starts.
struct CssFinding {
  size_t offset = 0;
  std::string what;  // "has '…'; why", to follow the place it was found
};

// Checks CSS text (a style attribute, a presentation attribute or a
// <style> element's content) for anything that could fetch or run.
// Escapes are refused outright: "\75rl(" is url( to a browser. Every "("
// is looked at, in comments and strings too: a browser's function token is
// always the name right before a "(", so nothing it calls goes unseen, and
// a parenthesis inside a comment costs at most a needless refusal.
std::optional<CssFinding> CssProblem(std::string_view css) {
  std::string lower = AsciiLower(css);
  if (size_t at = lower.find('\\'); at != std::string::npos)
    return CssFinding{at, "has a CSS escape ('\\'); write the character itself"};
  if (size_t at = lower.find("@import"); at != std::string::npos)
    return CssFinding{at, "has '@import'; SVG images may not load style sheets"};
  for (size_t i = lower.find('('); i != std::string::npos; i = lower.find('(', i + 1)) {
    size_t start = i;
    while (start > 0 && IsCssIdentChar(lower[start - 1])) --start;
    std::string_view name = std::string_view(lower).substr(start, i - start);
    if (name == "url") {
      size_t j = lower.find_first_not_of(" \t\r\n\f", i + 1);
      if (j != std::string::npos && (lower[j] == '"' || lower[j] == '\'')) ++j;
      if (j >= lower.size() || lower[j] != '#') {
        size_t close = lower.find(')', i);
        size_t len = close == std::string::npos ? std::string::npos : close + 1 - start;
        return CssFinding{start, "has '" + Shown(css.substr(start, len)) +
                                     "'; CSS in SVG images may use url() only for '#id'"};
      }
    } else if (!name.empty() && !AllowedCssFunctions().count(name)) {
      return CssFinding{start, "uses the CSS function '" +
                                   std::string(css.substr(start, i - start)) +
                                   "()', which is not allowed in SVG images"};
    }
  }
  return std::nullopt;
}

bool IsBase64(std::string_view s) {
  for (unsigned char c : s)
    if (!IsAsciiAlnum(c) && c != '+' && c != '/' && c != '=' && c != ' ' && c != '\n' &&
        c != '\r' && c != '\t')
      return false;
  return true;
}

// An href may only point into the same image; an <image> may also embed
// a raster image. `value` is decoded, so "&#104;ttp:" is "http:" here.
bool HrefAllowed(std::string_view element, std::string_view value) {
  if (value.size() > 1 && value[0] == '#') return true;
  if (element != "image") return false;
  for (std::string_view type : {"png", "jpeg", "gif", "webp"}) {
    std::string prefix = "data:image/" + std::string(type) + ";base64,";
    if (AsciiLower(value.substr(0, prefix.size())) == prefix)
      return IsBase64(value.substr(prefix.size()));
  }
  return false;
}

std::string AttributeProblem(const xmlNode* el, const xmlAttr* attr) {
  std::string_view name = Str(attr->name);
  std::string_view ns = attr->ns ? Str(attr->ns->href) : std::string_view();
  std::string where =
      AtLine(el) + "attribute " + AttributeLabel(attr) + " on element " + ElementLabel(el);
  bool allowed = attr->ns ? (ns == kXlinkNs && (name == "href" || name == "title")) ||
                                (ns == kXmlNs && (name == "space" || name == "lang"))
                          : AllowedAttributes().count(name) > 0;
  if (!allowed) return where + " is not allowed in SVG images";
  std::string value = Content(attr);
  if (name == "href") {
    if (HrefAllowed(Str(el->name), value)) return "";
    std::string why = "; SVG images may refer only to their own parts ('#id')";
    if (Str(el->name) == "image") why += " or embed data:image/png, jpeg, gif or webp base64 URIs";
    return where + " refers to '" + Shown(value) + "'" + why;
  }
  if (name == "aria-label") return "";  // free text, not CSS
  if (std::optional<CssFinding> css = CssProblem(value)) return where + " " + css->what;
  return "";
}

// Sets `css` to the style sheet a browser builds from <style> `el`: its
// direct text and CDATA children joined, comments left out. Anything else
// inside is refused rather than skipped, because xmlNodeGetContent would
// join an element's text in too and so see other tokens than the browser
// ("@imp<desc/>ort"). Returns why `el` holds something else, or "".
std::string StyleSheetText(const xmlNode* el, std::string& css) {
  for (const xmlNode* child = el->children; child; child = child->next) {
    switch (child->type) {
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE:
        css += Str(child->content);
        break;
      case XML_COMMENT_NODE:
        break;
      case XML_ELEMENT_NODE:
        return AtLine(child) + "element " + ElementLabel(child) + " inside element " +
               ElementLabel(el) +
               " is not allowed; a style sheet may hold only text, CDATA and comments";
      default:
        return AtLine(child) + "an XML node of type " + std::to_string(child->type) +
               " inside element " + ElementLabel(el) +
               " is not allowed; a style sheet may hold only text, CDATA and comments";
    }
  }
  return "";
}

std::string ElementProblem(const xmlNode* el) {
  if (!el->ns || Str(el->ns->href) != kSvgNs || !AllowedElements().count(Str(el->name)))
    return AtLine(el) + "element " + ElementLabel(el) + " is not allowed in SVG images";
  for (const xmlAttr* attr = el->properties; attr; attr = attr->next) {
    std::string problem = AttributeProblem(el, attr);
    if (!problem.empty()) return problem;
  }
  if (Str(el->name) == "style") {
    std::string css;
    if (std::string problem = StyleSheetText(el, css); !problem.empty()) return problem;
    if (std::optional<CssFinding> found = CssProblem(css)) {
      long line = xmlGetLineNo(el);
      for (size_t i = 0; i < found->offset; ++i) line += css[i] == '\n';
      return "line " + std::to_string(line) + ": element " + ElementLabel(el) + " " + found->what;
    }
  }
  return "";
}

// The first problem in `node`, its following siblings and everything below
// them, in document order. Recursion is bounded by libxml2's nesting limit.
std::string TreeProblem(const xmlNode* node) {
  for (; node; node = node->next) {
    switch (node->type) {
      case XML_ELEMENT_NODE: {
        std::string problem = ElementProblem(node);
        if (problem.empty()) problem = TreeProblem(node->children);
        if (!problem.empty()) return problem;
        break;
      }
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE:
      case XML_COMMENT_NODE:
        break;
      case XML_PI_NODE:
        return AtLine(node) + "processing instruction '" + std::string(Str(node->name)) +
               "' is not allowed in SVG images";
      default:  // entity references, XInclude markers: not expected without a DTD
        return AtLine(node) + "an XML node of type " + std::to_string(node->type) +
               " is not allowed in SVG images";
    }
  }
  return "";
}

// Why `svg` is not UTF-8 throughout, or "". A browser decodes the file by
// its XML declaration, so the parser must read the same characters: only
// UTF-8 is accepted, and libxml2 is told to read UTF-8 and never to switch
// (its other decoders would also print errors to stderr).
std::string EncodingProblem(std::string_view svg) {
  if (svg.substr(0, 3) == "\xEF\xBB\xBF") svg.remove_prefix(3);
  // The declaration, if any, is the very first thing: <?xml ... ?>.
  if (svg.size() > 5 && svg.substr(0, 5) == "<?xml" &&
      std::isspace(static_cast<unsigned char>(svg[5]))) {
    std::string_view decl = svg.substr(0, svg.find("?>"));
    std::string lower = AsciiLower(decl);
    for (size_t at = lower.find("encoding"); at != std::string::npos;
         at = lower.find("encoding", at + 1)) {
      size_t quote = lower.find_first_of("\"'", at);
      if (quote == std::string::npos) break;
      size_t end = lower.find(lower[quote], quote + 1);
      size_t len = end == std::string::npos ? end : end - quote - 1;
      if (lower.substr(quote + 1, len) != "utf-8")
        return "line 1: the encoding '" + Shown(decl.substr(quote + 1, len)) +
               "' is not supported; save the file as UTF-8";
    }
  }
  if (size_t bad = FindInvalidUtf8(svg); bad != std::string::npos)
    return "line " + std::to_string(LineColumnAt(svg, bad).line) +
           ": invalid UTF-8; save the file as UTF-8";
  return "";
}

// What the parser callbacks record; reached through the context's _private.
struct ParseState {
  std::string error;  // libxml2's first error message, "" when none
  int error_line = 0;
  int doctype_line = 0;  // where a <!DOCTYPE> was met, 0 when none
};

ParseState& StateOf(void* ctx) {
  return *static_cast<ParseState*>(static_cast<xmlParserCtxtPtr>(ctx)->_private);
}

// Keeps the first error instead of printing it (per context, not global).
void OnError(void* ctx, xmlErrorPtr error) {
  ParseState& state = StateOf(ctx);
  if (!state.error.empty() || error->level < XML_ERR_ERROR) return;
  state.error = Trim(Str(reinterpret_cast<const xmlChar*>(error->message)));
  std::replace(state.error.begin(), state.error.end(), '\n', ' ');
  state.error_line = error->line;
}

// A DOCTYPE stops the parse before any declaration in it is read, so no
// entity is ever defined, let alone expanded.
void OnDoctype(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  StateOf(ctx).doctype_line = ctxt->input ? ctxt->input->line : 1;
  xmlStopParser(ctxt);
}

struct FreeContext {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};
struct FreeDoc {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

}  // namespace

std::string SvgProblem(std::string_view svg) {
  // xmlInitParser is not itself safe to race; once, then contexts are
  // independent. Nothing process-wide is set: errors go to each context.
  static std::once_flag init;
  std::call_once(init, xmlInitParser);
  if (svg.size() > INT_MAX) return "is too large to check";
  if (std::string problem = EncodingProblem(svg); !problem.empty()) return problem;
  std::unique_ptr<xmlParserCtxt, FreeContext> ctxt(xmlNewParserCtxt());
  if (!ctxt) return "could not be checked: out of memory";
  ParseState state;
  ctxt->_private = &state;
  ctxt->sax->serror = OnError;
  ctxt->sax->internalSubset = OnDoctype;
  // No DTD loading, default attributes or entity substitution; no network;
  // no XML_PARSE_HUGE, so libxml2's depth and length limits hold.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                      XML_PARSE_BIG_LINES | XML_PARSE_IGNORE_ENC;
  std::unique_ptr<xmlDoc, FreeDoc> doc(xmlCtxtReadMemory(
      ctxt.get(), svg.data(), static_cast<int>(svg.size()), nullptr, "UTF-8", options));
  if (state.doctype_line)
    return "line " + std::to_string(state.doctype_line) +
           ": a DOCTYPE is not allowed in SVG images (it could declare entities); delete it";
  if (!state.error.empty() || !doc)
    return "is not well-formed XML: " + (state.error.empty() ? "parse failed" : state.error) +
           " (line " + std::to_string(state.error_line) + ")";
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root || Str(root->name) != "svg" || !root->ns || Str(root->ns->href) != kSvgNs)
    return (root ? AtLine(root) + "the root element is " + ElementLabel(root) : "no root element") +
           "; an SVG image starts with <svg xmlns=\"http://www.w3.org/2000/svg\">";
  return TreeProblem(doc->children);
}

}  // namespace casebook
