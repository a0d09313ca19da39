//===- Svg.h - bar charts and histograms as SVG text -------------*- C++ -*-===//
//
// The report's plots, written by hand: a bar chart of one value per item
// (negative bars below the axis) and a histogram of values in fixed bins.
// Plain SVG 1.1 with no script or external reference, so any browser or
// Markdown viewer shows it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <utility>

namespace optlm::eval {

/// One bar per (label, value).
std::string barChartSvg(llvm::StringRef title, llvm::StringRef valueUnit,
                        llvm::ArrayRef<std::pair<std::string, double>> bars);

/// Counts of values in `bins` equal bins from low to high; values outside
/// go to the first or last bin.
std::string histogramSvg(llvm::StringRef title, llvm::StringRef valueUnit,
                         llvm::ArrayRef<double> values, double low, double high, unsigned bins);

} // namespace optlm::eval
