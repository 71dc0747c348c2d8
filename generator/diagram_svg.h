// Turns Graphviz's SVG output into markup that may be inlined in a page.
//
// Refused (an error for the author, nothing is rewritten away silently):
// links and tooltips (URL, href, tooltip: <a>), images (image=, <img> in
// HTML labels: <image>), style sheets (stylesheet=: a processing
// instruction; <style> would style the whole page once inlined), any
// colour but the theme's (see below), and anything SvgProblem (svg.h)
// refuses in any SVG.
//
// Rewritten, because inlined markup shares one document with the page:
// the prolog (XML declaration, DOCTYPE, comments) and every comment go;
// ids go (two diagrams on a page would both have "node1"), and so do the
// <title> tooltips Graphviz gives each node and edge; class tokens other
// than Graphviz's own (graph, node, edge, cluster) go, so content cannot
// borrow the page's classes; width and height become CSS pixels equal to
// the drawing's units, so CSS can scale it down to a phone's column.
//
// Colours: the theme owns them. Black (Graphviz's default pen) becomes
// currentColor, so lines and text follow the page's text colour in light,
// dark and print; text without a fill gets currentColor too. The light grey
// of style=filled keeps its fill (for readers without CSS) and gains the
// class "tint", which the style sheet paints with the theme's tint.
// "none" and "transparent" are kept; any other colour is refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace casebook {

struct DiagramSvg {
  std::string problem;  // "" when svg is usable; else what to tell the author
  std::string svg;      // starts with "<svg", ends with "</svg>"
  std::string label;    // the graph's own label as plain text ("" if none)
  // With a problem: words that the DOT line to blame likely holds
  // ("red", or "URL" "href" "tooltip"), for placing the error; may be empty.
  std::vector<std::string> clues;
  bool colour_clue = false;      // the clue is a colour value, not an attribute name
  double width = 0, height = 0;  // the drawing's size in CSS pixels
};

// Safe to call from several threads at once (like SvgProblem).
DiagramSvg PrepareDiagramSvg(std::string_view graphviz_output,
                             std::string_view default_font);

}  // namespace casebook
