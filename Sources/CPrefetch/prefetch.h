// The processor's prefetch hint, which Swift does not spell: used where rows are read in an order the hardware
// cannot foresee (a rebuild's sorted rows, stored one after another from scattered places in memory).

/// Asks the processor to bring the cache line at `address` closer ahead of its use. A hint: it never faults,
/// whatever `address` is.
static inline void sealhall_prefetch(const void *address) { __builtin_prefetch(address, 0, 0); }
