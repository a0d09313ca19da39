/* Small enough that tuning it takes a moment; big enough that passes matter. */
int accumulate(const int *values, int count) {
  int total = 0;
  for (int i = 0; i < count; ++i)
    total += values[i] * (i + 1);
  return total;
}

int clamp(int value, int low, int high) {
  if (value < low)
    return low;
  if (value > high)
    return high;
  return value;
}
