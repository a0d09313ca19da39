#include "shapes.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

int main() {
  std::vector<int> sides = {3, 1, 4, 1, 5, 9, 2, 6};
  std::sort(sides.begin(), sides.end());
  std::map<std::string, long> results;
  results["area"] = area_sum(sides.data(), int(sides.size()));
  results["mix"] = mix(2463534242u, 10);
  for (const auto &[name, value] : results)
    std::printf("%s %ld\n", name.c_str(), value);
  return 0;
}
