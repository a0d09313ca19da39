#include "ringbuf.h"

#include <stdio.h>

int main(void) {
  struct ringbuf ring;
  ringbuf_init(&ring);
  for (int i = 0; i < 100; ++i)
    if (!ringbuf_push(&ring, (uint8_t)(i * 7)))
      break;
  uint8_t byte;
  for (int i = 0; i < 10; ++i)
    ringbuf_pop(&ring, &byte);
  uint8_t copy[RINGBUF_CAPACITY];
  size_t length = ringbuf_copy(&ring, copy, sizeof copy);
  printf("%zu bytes, crc %04x\n", length, crc16_ccitt(copy, length));
  return 0;
}
