/*
 * opae_print(): OPAE's printf-style logging entry point (the OPAE_ERR/OPAE_MSG/OPAE_DBG macros of
 * <opae/log.h> expand to it). C# cannot receive a va_list, so this file formats the message and
 * hands the text to the managed logger, which applies LIBOPAE_LOG and writes to stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

extern int opaesharp_log_enabled(int level);
extern void opaesharp_log_write(int level, const char *text);

void opae_print(int loglevel, const char *fmt, ...);

void opae_print(int loglevel, const char *fmt, ...)
{
    char small[512];
    char *text = small;
    va_list args;
    int needed;

    if (fmt == NULL || !opaesharp_log_enabled(loglevel))
        return;

    va_start(args, fmt);
    needed = vsnprintf(small, sizeof(small), fmt, args);
    va_end(args);
    if (needed < 0)
        return;

    if ((size_t)needed >= sizeof(small)) {
        text = malloc((size_t)needed + 1);
        if (text == NULL) {
            /* Out of memory: the truncated message is better than none. */
            text = small;
        } else {
            va_start(args, fmt);
            vsnprintf(text, (size_t)needed + 1, fmt, args);
            va_end(args);
        }
    }

    opaesharp_log_write(loglevel, text);
    if (text != small)
        free(text);
}
