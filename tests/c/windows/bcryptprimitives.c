/*
 * bcryptprimitives.c: a TEST-ONLY stand-in for Windows' bcryptprimitives.dll, for Wine 8.0, which lacks it.
 *
 * Rust's std (1.78+) takes its random numbers (HashMap keys) from ProcessPrng in bcryptprimitives.dll,
 * which every Windows 10 / 11 has. Wine 8.0 has no such DLL, so nothing linked with std loads there.
 * tests/c/run-windows.sh builds this file next to the test programs; it is never shipped (not in
 * target/windows/, not in the 1C ZIP): on real Windows the system's own DLL is used.
 */
#include <windows.h>
#include <bcrypt.h>

/* Same contract as the real one: fills the buffer, always returns TRUE. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000u ? 0x10000000u : (ULONG)len;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
