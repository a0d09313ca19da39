//===- Svg.cpp - bar charts and histograms as SVG text --------------------===//
#include "eval/Svg.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <vector>

using namespace llvm;

namespace optlm::eval {
namespace {

std::string escape(StringRef text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '&':
      out += "&amp;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

constexpr double Width = 720, Height = 360, Left = 60, Right = 20, Top = 40, Bottom = 90;

void header(raw_ostream &out, StringRef title) {
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << Width << "\" height=\"" << Height
      << "\" viewBox=\"0 0 " << Width << " " << Height
      << "\" font-family=\"sans-serif\" font-size=\"11\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << Width / 2 << "\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">"
      << escape(title) << "</text>\n";
}

std::string fixed(double value, int decimals = 2) {
  std::string text;
  raw_string_ostream(text) << format(decimals == 0 ? "%.0f" : "%.2f", value);
  return text;
}

/// Bars of heights values, from a zero line, with x labels.
void bars(raw_ostream &out, StringRef unit, ArrayRef<std::string> labels, ArrayRef<double> values) {
  double plotWidth = Width - Left - Right, plotHeight = Height - Top - Bottom;
  double high = 0, low = 0;
  for (double value : values) {
    high = std::max(high, value);
    low = std::min(low, value);
  }
  if (high == low)
    high = low + 1;
  auto y = [&](double value) { return Top + plotHeight * (high - value) / (high - low); };
  // Axis with the extreme values and zero.
  out << "<line x1=\"" << Left << "\" y1=\"" << Top << "\" x2=\"" << Left << "\" y2=\""
      << Top + plotHeight << "\" stroke=\"black\"/>\n";
  out << "<line x1=\"" << Left << "\" y1=\"" << y(0) << "\" x2=\"" << Width - Right << "\" y2=\""
      << y(0) << "\" stroke=\"black\"/>\n";
  for (double tick : {high, 0.0, low}) {
    out << "<text x=\"" << Left - 4 << "\" y=\"" << y(tick) + 4 << "\" text-anchor=\"end\">"
        << fixed(tick) << "</text>\n";
  }
  out << "<text x=\"14\" y=\"" << Top + plotHeight / 2 << "\" transform=\"rotate(-90 14 "
      << Top + plotHeight / 2 << ")\" text-anchor=\"middle\">" << escape(unit) << "</text>\n";
  double slot = values.empty() ? plotWidth : plotWidth / double(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    double x = Left + slot * double(i) + slot * 0.1;
    double top = std::min(y(values[i]), y(0)), bottom = std::max(y(values[i]), y(0));
    out << "<rect x=\"" << x << "\" y=\"" << top << "\" width=\"" << slot * 0.8 << "\" height=\""
        << std::max(bottom - top, 0.5) << "\" fill=\"" << (values[i] < 0 ? "#c0392b" : "#2e86c1")
        << "\"><title>" << escape(labels[i]) << ": " << fixed(values[i]) << "</title></rect>\n";
    double labelX = x + slot * 0.4;
    out << "<text x=\"" << labelX << "\" y=\"" << Top + plotHeight + 12
        << "\" text-anchor=\"end\" transform=\"rotate(-45 " << labelX << " "
        << Top + plotHeight + 12 << ")\">" << escape(StringRef(labels[i]).take_front(24))
        << "</text>\n";
  }
}

} // namespace

std::string barChartSvg(StringRef title, StringRef valueUnit,
                        ArrayRef<std::pair<std::string, double>> items) {
  std::string text;
  raw_string_ostream out(text);
  header(out, title);
  std::vector<std::string> labels;
  std::vector<double> values;
  for (const auto &[label, value] : items) {
    labels.push_back(label);
    values.push_back(std::isfinite(value) ? value : 0.0);
  }
  bars(out, valueUnit, labels, values);
  out << "</svg>\n";
  return text;
}

std::string histogramSvg(StringRef title, StringRef valueUnit, ArrayRef<double> values, double low,
                         double high, unsigned bins) {
  bins = std::max(bins, 1u);
  if (!(high > low))
    high = low + 1;
  std::vector<double> counts(bins, 0);
  for (double value : values) {
    if (!std::isfinite(value))
      continue;
    double position = (value - low) / (high - low) * bins;
    long index = std::clamp<long>(long(std::floor(position)), 0, long(bins) - 1);
    ++counts[size_t(index)];
  }
  std::vector<std::string> labels;
  double step = (high - low) / bins;
  for (unsigned i = 0; i < bins; ++i)
    labels.push_back(fixed(low + step * i) + ".." + fixed(low + step * (i + 1)));
  std::string text;
  raw_string_ostream out(text);
  header(out, title);
  bars(out, (Twine("items (") + valueUnit + ")").str(), labels, counts);
  out << "</svg>\n";
  return text;
}

} // namespace optlm::eval
