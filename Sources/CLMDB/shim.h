// The system LMDB (Debian liblmdb-dev), found through pkg-config `lmdb`.
#include <lmdb.h>
