/*
 * Capturing what a call prints on stderr, for the tests of the library's log lines.
 */
#ifndef OPAESHARP_TESTS_CAPTURE_H
#define OPAESHARP_TESTS_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Runs @call with stderr captured; returns what it printed (caller frees). */
static inline char *capture_stderr(void (*call)(void))
{
	char path[] = "/tmp/opae-capture-XXXXXX";
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);
	char *text = calloc(1, 65536);
	ssize_t n;
	if (fd < 0 || saved < 0 || !text) {
		perror("capture_stderr");
		exit(1);
	}
	unlink(path);
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	call();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, text, 65535);
	close(fd);
	text[n < 0 ? 0 : n] = '\0';
	return text;
}

#endif /* OPAESHARP_TESTS_CAPTURE_H */
