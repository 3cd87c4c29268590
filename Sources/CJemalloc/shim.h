// jemalloc (Debian libjemalloc-dev), linked into the sealhall executable in place of glibc's malloc; see the
// README's "Why jemalloc".
#include <jemalloc/jemalloc.h>
