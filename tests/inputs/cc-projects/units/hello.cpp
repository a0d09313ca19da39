#include <cstdio>
#include <string>

int main() {
  std::string text = "hello from c++";
  std::printf("%s %zu\n", text.c_str(), text.size());
  return 0;
}
