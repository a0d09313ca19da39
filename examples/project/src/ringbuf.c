#include "ringbuf.h"

void ringbuf_init(struct ringbuf *ring) {
  ring->head = 0;
  ring->count = 0;
}

int ringbuf_push(struct ringbuf *ring, uint8_t byte) {
  if (ring->count == RINGBUF_CAPACITY)
    return 0;
  ring->data[(ring->head + ring->count) % RINGBUF_CAPACITY] = byte;
  ring->count++;
  return 1;
}

int ringbuf_pop(struct ringbuf *ring, uint8_t *byte) {
  if (ring->count == 0)
    return 0;
  *byte = ring->data[ring->head];
  ring->head = (ring->head + 1) % RINGBUF_CAPACITY;
  ring->count--;
  return 1;
}

size_t ringbuf_copy(const struct ringbuf *ring, uint8_t *out, size_t capacity) {
  size_t copied = 0;
  for (; copied < ring->count && copied < capacity; ++copied)
    out[copied] = ring->data[(ring->head + copied) % RINGBUF_CAPACITY];
  return copied;
}
