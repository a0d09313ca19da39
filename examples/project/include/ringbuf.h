/* A fixed-capacity byte ring buffer and a CRC over its contents. */
#ifndef RINGBUF_H
#define RINGBUF_H

#include <stddef.h>
#include <stdint.h>

#ifndef RINGBUF_CAPACITY
#error "RINGBUF_CAPACITY must be defined by the build"
#endif

struct ringbuf {
  uint8_t data[RINGBUF_CAPACITY];
  size_t head;
  size_t count;
};

void ringbuf_init(struct ringbuf *ring);
int ringbuf_push(struct ringbuf *ring, uint8_t byte);
int ringbuf_pop(struct ringbuf *ring, uint8_t *byte);
size_t ringbuf_copy(const struct ringbuf *ring, uint8_t *out, size_t capacity);
uint16_t crc16_ccitt(const uint8_t *bytes, size_t length);

#endif
