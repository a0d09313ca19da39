#ifndef GREET_H
#define GREET_H
int greet(const char *name, char *out, int size);
#endif
