#ifndef SHAPES_H
#define SHAPES_H
#ifdef __cplusplus
extern "C" {
#endif
long area_sum(const int *sides, int count);
unsigned mix(unsigned seed, int rounds);
#ifdef __cplusplus
}
#endif
#endif
