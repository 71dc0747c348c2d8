#include "diagram_svg.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <map>
#include <set>
#include <vector>

#include "svg.h"
#include "text.h"

namespace casebook {

namespace {

std::string_view Str(const xmlChar* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}
const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Graphviz writes an XML declaration, perhaps a style sheet instruction
// (stylesheet=), its DOCTYPE and comments before <svg>. Sets `rest` to the
// <svg> element onwards; returns why the prolog is refused, or "".
std::string StripProlog(std::string_view in, std::string_view& rest,
                        std::vector<std::string>& clues) {
  size_t pos = 0;
  for (;;) {
    while (pos < in.size() && std::strchr(" \t\r\n", in[pos])) ++pos;
    std::string_view at = in.substr(pos);
    std::string_view close;
    if (StartsWith(at, "<?xml ")) {
      close = "?>";
    } else if (StartsWith(at, "<?xml-stylesheet")) {
      clues = {"stylesheet"};
      return "style sheets (stylesheet=) are not allowed in diagrams";
    } else if (StartsWith(at, "<!--")) {
      close = "-->";
    } else if (StartsWith(at, "<!DOCTYPE")) {
      close = ">";
      if (at.substr(0, at.find('>')).find('[') != std::string_view::npos)
        return "Graphviz wrote a DOCTYPE with declarations";
    } else if (StartsWith(at, "<svg")) {
      rest = at;
      return "";
    } else {
      return "Graphviz wrote no SVG";
    }
    size_t end = at.find(close);
    if (end == std::string_view::npos) return "Graphviz wrote no SVG";
    pos += end + close.size();
  }
}

struct FreeDoc {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using DocPtr = std::unique_ptr<xmlDoc, FreeDoc>;

DocPtr Parse(std::string_view svg) {
  static std::once_flag init;
  std::call_once(init, xmlInitParser);
  if (svg.size() > INT_MAX) return nullptr;
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) return nullptr;
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  DocPtr doc(xmlCtxtReadMemory(ctxt, svg.data(), static_cast<int>(svg.size()), nullptr,
                               "UTF-8", options));
  xmlFreeParserCtxt(ctxt);
  return doc;
}

// The element's own attribute (no namespace) `name`, or "".
std::string Attr(xmlNode* el, const char* name) {
  xmlChar* v = xmlGetNoNsProp(el, X(name));
  std::string out(Str(v));
  xmlFree(v);
  return out;
}

class Rewriter {
 public:
  explicit Rewriter(std::string_view font) : font_(font) {}

  std::vector<std::string> clues;  // see DiagramSvg::clues
  bool colour_clue = false;

  // Rewrites `parent`'s children and everything below; "" or a problem.
  std::string Children(xmlNode* parent) {
    for (xmlNode* n = parent->children; n;) {
      xmlNode* next = n->next;
      std::string problem = Node(n);
      if (!problem.empty()) return problem;
      n = next;
    }
    if (Str(parent->name) != "text" && Str(parent->name) != "tspan") TidySpace(parent);
    return "";
  }

  // Between drawing elements, white space only separates: one line break
  // instead of the blank lines that removed comments and titles leave.
  static void TidySpace(xmlNode* parent) {
    bool after_space = false;
    for (xmlNode* n = parent->children; n;) {
      xmlNode* next = n->next;
      bool space = n->type == XML_TEXT_NODE && Trim(Str(n->content)).empty();
      if (space && after_space) {
        xmlUnlinkNode(n);
        xmlFreeNode(n);
      } else if (space) {
        xmlNodeSetContent(n, X("\n"));
      }
      after_space = space;
      n = next;
    }
  }

  std::string Element(xmlNode* el) {
    std::string_view name = Str(el->name);
    if (name == "a") {
      clues = {"URL", "href", "tooltip"};
      return "links and tooltips (URL=, href=, tooltip=) are not allowed in diagrams";
    }
    if (name == "image") {
      clues = {"image", "IMG"};
      return "images (image=, or <IMG> in an HTML-like label) are not allowed in diagrams";
    }
    bool root = el->parent && el->parent->type == XML_DOCUMENT_NODE;
    if (!el->ns || Str(el->ns->href) != "http://www.w3.org/2000/svg" || (el->nsDef && !root))
      return "Graphviz wrote XML namespaces that are not allowed in diagrams";
    if (!AllowedAttributes(name))
      return "element <" + Abbreviated(std::string(name), 30) + "> is not allowed in diagrams";
    for (xmlAttr* a = el->properties; a;) {
      xmlAttr* next = a->next;
      std::string problem = Attribute(el, a);
      if (!problem.empty()) return problem;
      a = next;
    }
    if (name == "text" && !xmlHasProp(el, X("fill")))
      xmlSetProp(el, X("fill"), X("currentColor"));
    return Children(el);
  }

 private:
  std::string Node(xmlNode* n) {
    bool drop = n->type == XML_COMMENT_NODE ||
                (n->type == XML_ELEMENT_NODE && Str(n->name) == "title");
    if (drop) {
      xmlUnlinkNode(n);
      xmlFreeNode(n);
      return "";
    }
    if (n->type == XML_ELEMENT_NODE) return Element(n);
    if (n->type == XML_TEXT_NODE) return "";
    // Graphviz writes neither; in its output they can only come from text
    // it copied unescaped (fontname=, FACE=).
    if (n->type == XML_PI_NODE)
      return "processing instruction '" + Abbreviated(std::string(Str(n->name)), 30) +
             "' is not allowed in diagrams";
    if (n->type == XML_CDATA_SECTION_NODE) return "CDATA sections are not allowed in diagrams";
    return "Graphviz wrote XML that is not allowed in diagrams (node type " +
           std::to_string(static_cast<int>(n->type)) + ")";
  }

  // The attributes Graphviz 2.43 writes on each element it draws with, and
  // nothing else; nullptr for an element that is not on the list. fill,
  // stroke, class and id are allowed everywhere and checked below.
  static const std::set<std::string_view>* AllowedAttributes(std::string_view element) {
    static const std::map<std::string_view, std::set<std::string_view>> kAllowed = {
        {"svg", {"width", "height", "viewBox"}},
        {"g", {"transform"}},
        {"text",
         {"text-anchor", "x", "y", "font-family", "font-size", "font-weight", "font-style",
          "text-decoration", "baseline-shift"}},
        {"path", {"d", "stroke-width", "stroke-dasharray"}},
        {"polygon", {"points", "stroke-width", "stroke-dasharray"}},
        {"polyline", {"points", "stroke-width", "stroke-dasharray"}},
        {"ellipse", {"cx", "cy", "rx", "ry", "stroke-width", "stroke-dasharray"}},
    };
    auto it = kAllowed.find(element);
    return it == kAllowed.end() ? nullptr : &it->second;
  }

  std::string Attribute(xmlNode* el, xmlAttr* a) {
    std::string_view name = Str(a->name);
    if (a->ns != nullptr)  // xlink:href and any other namespaced attribute
      return "attribute '" + Abbreviated(std::string(Str(a->ns->prefix)) + ":" +
                                             std::string(name), 40) +
             "' is not allowed in diagrams";
    std::string value = Attr(el, std::string(name).c_str());
    if (name == "id") {
      xmlRemoveProp(a);
    } else if (name == "class") {
      Classes(el, value);
    } else if (name == "fill" || name == "stroke") {
      return Colour(el, name, value);
    } else if (!AllowedAttributes(Str(el->name))->count(name)) {
      return "attribute '" + Abbreviated(std::string(name), 30) + "' on <" +
             std::string(Str(el->name)) + "> is not allowed in diagrams";
    } else if (name == "font-family" && value == font_) {
      xmlRemoveProp(a);  // the page's own font, inherited from the figure
    }
    return "";
  }

  // Keeps only Graphviz's own class tokens: content must not pick up the
  // page's classes (class= in DOT adds the author's).
  void Classes(xmlNode* el, const std::string& value) {
    static const std::set<std::string> kOwn = {"graph", "node", "edge", "cluster", "tint"};
    std::string kept;
    size_t pos = 0;
    while (pos < value.size()) {
      size_t end = value.find(' ', pos);
      if (end == std::string::npos) end = value.size();
      std::string token = value.substr(pos, end - pos);
      if (kOwn.count(token)) kept += (kept.empty() ? "" : " ") + token;
      pos = end + 1;
    }
    if (kept.empty()) xmlUnsetProp(el, X("class"));
    else xmlSetProp(el, X("class"), X(kept.c_str()));
  }

  std::string Colour(xmlNode* el, std::string_view attr, const std::string& value) {
    std::string v = AsciiLower(value);
    const char* name = attr == "fill" ? "fill" : "stroke";
    if (v == "black" || v == "#000000" || v == "#000") {
      xmlSetProp(el, X(name), X("currentColor"));
    } else if (v == "transparent") {
      xmlSetProp(el, X(name), X("none"));
    } else if ((v == "lightgrey" || v == "lightgray" || v == "#d3d3d3") && attr == "fill" &&
               Str(el->name) != "text") {
      // The fill style=filled gives a shape: the theme's tint instead.
      xmlSetProp(el, X("class"), X("tint"));
    } else if (v != "none") {
      clues = {value};
      colour_clue = true;
      return "the colour '" + Abbreviated(value, 30) +
             "' is not allowed in diagrams: the theme sets colours, so leave out color=, "
             "fillcolor= and fontcolor= (style=filled gives a tinted fill)";
    }
    return "";
  }

  std::string font_;
};

// Graphviz sizes the drawing in points, one point per viewBox unit; as CSS
// pixels the text is as large as the font size it was laid out with.
// Sets `width` and `height` to those numbers (0 when unreadable).
void PixelSize(xmlNode* root, double& width, double& height) {
  for (const char* name : {"width", "height"}) {
    std::string v = Attr(root, name);
    if (v.size() > 2 && v.compare(v.size() - 2, 2, "pt") == 0) {
      v = v.substr(0, v.size() - 2);
      xmlSetProp(root, X(name), X(v.c_str()));
    }
    char* end = nullptr;
    double n = std::strtod(v.c_str(), &end);
    (std::strcmp(name, "width") == 0 ? width : height) = end && *end == '\0' ? n : 0;
  }
}

// The text drawn directly in the graph's own group: its label, if any.
std::string GraphLabel(xmlNode* root) {
  std::string label;
  for (xmlNode* g = root->children; g; g = g->next) {
    if (g->type != XML_ELEMENT_NODE || Str(g->name) != "g") continue;
    for (xmlNode* t = g->children; t; t = t->next) {
      if (t->type != XML_ELEMENT_NODE || Str(t->name) != "text") continue;
      xmlChar* content = xmlNodeGetContent(t);
      std::string line = Trim(Str(content));
      xmlFree(content);
      if (!line.empty()) label += (label.empty() ? "" : " ") + line;
    }
    break;
  }
  return label;
}

std::string Serialize(xmlDoc* doc, xmlNode* root) {
  xmlBufferPtr buf = xmlBufferCreate();
  if (!buf) return "";
  xmlNodeDump(buf, doc, root, 0, 0);
  std::string out(reinterpret_cast<const char*>(xmlBufferContent(buf)),
                  static_cast<size_t>(xmlBufferLength(buf)));
  xmlBufferFree(buf);
  return out;
}

}  // namespace

DiagramSvg PrepareDiagramSvg(std::string_view graphviz_output, std::string_view default_font) {
  DiagramSvg result;
  std::string_view svg;
  result.problem = StripProlog(graphviz_output, svg, result.clues);
  if (!result.problem.empty()) return result;
  DocPtr doc = Parse(svg);
  xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (!root || Str(root->name) != "svg") {
    // SvgProblem says what is wrong with the XML.
    std::string problem = SvgProblem(svg);
    result.problem = "Graphviz wrote SVG that " +
                     (problem.empty() ? std::string("could not be read") : problem);
    return result;
  }
  Rewriter rewriter(default_font);
  result.problem = rewriter.Element(root);
  if (!result.problem.empty()) {
    result.clues = rewriter.clues;
    result.colour_clue = rewriter.colour_clue;
    return result;
  }
  PixelSize(root, result.width, result.height);
  result.label = GraphLabel(root);
  result.svg = Serialize(doc.get(), root);
  // The general check for any SVG, on exactly what is published, as a
  // second line: whatever the rules above missed is still refused.
  std::string problem = result.svg.empty() ? "could not be written" : SvgProblem(result.svg);
  if (!problem.empty()) {
    result.problem = "Graphviz wrote SVG that " + problem;
    result.svg.clear();
  }
  return result;
}

}  // namespace casebook
