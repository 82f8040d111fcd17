/*
 * One 64-byte store for fpgaWriteMMIO512. The NativeAOT build targets a baseline x86-64 CPU, so
 * managed code cannot emit an AVX-512 instruction there; this file compiles just the store for
 * AVX-512F (and nothing else), and the library uses it only when the CPU and the OS (ZMM state
 * enabled in XCR0) support it. A device sees one 64-byte write, never eight 8-byte ones.
 */
#include <immintrin.h>

int opaesharp_has_512bit_stores(void);
void opaesharp_store512(void *destination, const void *source);

int opaesharp_has_512bit_stores(void)
{
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
#else
    return 0;
#endif
}

#if defined(__x86_64__)
__attribute__((target("avx512f")))
void opaesharp_store512(void *destination, const void *source)
{
    /* destination is 64-byte aligned MMIO; source is the caller's 64 bytes, any alignment. */
    _mm512_store_si512(destination, _mm512_loadu_si512(source));
}
#else
void opaesharp_store512(void *destination, const void *source)
{
    (void)destination;
    (void)source;
}
#endif
