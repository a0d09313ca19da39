int f(int x) { return x + undeclared_name; }
