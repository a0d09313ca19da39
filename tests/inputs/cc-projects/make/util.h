#ifndef UTIL_H
#define UTIL_H
#include <stddef.h>
#include <stdint.h>

#define TABLE_SIZE 64

uint32_t checksum(const unsigned char *data, size_t size);
uint32_t fold_table(const uint32_t *table, size_t size);
size_t count_words(const char *text);
void reverse_words(char *text);

#endif
