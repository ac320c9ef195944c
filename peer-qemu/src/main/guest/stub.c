/*
 * SMMU Lab guest stub: bare-metal aarch64 (EL1, MMU off) that performs physical memory accesses
 * for the host, one command per line over the PL011 UART.
 *
 * Protocol (ASCII; numbers are hexadecimal without prefix; one reply line per command line):
 *
 *   id                  -> ok smmulab-stub <version>
 *   r4 ADDR             -> ok VALUE            32-bit read (ADDR 4-aligned)
 *   r8 ADDR             -> ok VALUE            64-bit read (ADDR 8-aligned)
 *   w4 ADDR VALUE       -> ok                  32-bit write
 *   w8 ADDR VALUE       -> ok                  64-bit write
 *   cas8 ADDR OLD NEW   -> ok 1 | ok 0         64-bit compare-and-swap (the guest is single-threaded)
 *   fill ADDR LEN BYTE  -> ok                  memset
 *   pattern ADDR LEN SEED -> ok                byte ADDR+i = 1 + (SEED * 37 + i * 11) mod 126
 *   rb ADDR LEN         -> ok HEXBYTES         block read, LEN <= MAX_BLOCK
 *   wb ADDR HEXBYTES    -> ok                  block write, up to MAX_BLOCK bytes
 *   sum ADDR LEN        -> ok HASH             FNV-1a over the 64-bit words (ADDR, LEN 8-aligned)
 *   scan ADDR LEN BYTE  -> ok COUNT FIRST LAST bytes differing from BYTE, offsets of first and last
 *   poll4 ADDR MASK VALUE MICROS -> ok READ | err timeout READ
 *                                              reads until (READ & MASK) == VALUE or MICROS pass
 *
 * Errors are replies too: "err syntax", "err unknown", "err align", "err toolong",
 * "err abort esr=ESR far=FAR" (the access took a synchronous exception and was skipped).
 * The stub prints "ready" once after boot.
 */
#include <stdint.h>

#define STUB_VERSION "1"
#define UART_BASE 0x09000000UL
#define UART_DR 0x00
#define UART_FR 0x18
#define UART_LCRH 0x2c
#define UART_CR 0x30
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define MAX_BLOCK 1024
#define LINE_MAX (16 + 2 * MAX_BLOCK + 16)

volatile uint64_t stub_fault_count;
volatile uint64_t stub_fault_vector;
volatile uint64_t stub_fault_esr;
volatile uint64_t stub_fault_far;

static char line[LINE_MAX];
static char reply[8 + 2 * MAX_BLOCK + 64];
static uint64_t seen_faults;

static inline uint32_t mmio_read32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

static void uart_init(void)
{
	/* 8 data bits, FIFOs on (so the host may send 16 bytes at a time); UART, TX and RX enabled. */
	mmio_write32(UART_BASE + UART_LCRH, 0x70);
	mmio_write32(UART_BASE + UART_CR, 0x301);
}

static void uart_putc(char c)
{
	while (mmio_read32(UART_BASE + UART_FR) & FR_TXFF)
		;
	mmio_write32(UART_BASE + UART_DR, (uint8_t)c);
}

static char uart_getc(void)
{
	while (mmio_read32(UART_BASE + UART_FR) & FR_RXFE)
		;
	return (char)(mmio_read32(UART_BASE + UART_DR) & 0xff);
}

static void put_line(const char *s)
{
	while (*s)
		uart_putc(*s++);
	uart_putc('\n');
}

/* ---------------------------------------------------------------- replies */

static char *append(char *out, const char *s)
{
	while (*s)
		*out++ = *s++;
	return out;
}

static char *append_hex(char *out, uint64_t v)
{
	char digits[16];
	int n = 0;
	do {
		digits[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v != 0);
	while (n > 0)
		*out++ = digits[--n];
	return out;
}

static void reply_value(uint64_t v)
{
	char *p = append(reply, "ok ");
	p = append_hex(p, v);
	*p = 0;
	put_line(reply);
}

/* Replies "err abort ..." if an exception was taken since the last check; returns 1 then. */
static int report_fault(void)
{
	uint64_t count = stub_fault_count;
	if (count == seen_faults)
		return 0;
	seen_faults = count;
	char *p = append(reply, "err abort esr=");
	p = append_hex(p, stub_fault_esr);
	p = append(p, " far=");
	p = append_hex(p, stub_fault_far);
	p = append(p, " vector=");
	p = append_hex(p, stub_fault_vector);
	*p = 0;
	put_line(reply);
	return 1;
}

/* ---------------------------------------------------------------- parsing */

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses one hex number at *p (after spaces); returns 0 if there is none or it is too long. */
static int parse_hex(const char **p, uint64_t *out)
{
	const char *s = *p;
	while (*s == ' ')
		s++;
	uint64_t v = 0;
	int n = 0;
	while (hex_digit(*s) >= 0) {
		if (++n > 16)
			return 0;
		v = v << 4 | (uint64_t)hex_digit(*s++);
	}
	if (n == 0 || (*s != ' ' && *s != 0))
		return 0;
	*p = s;
	*out = v;
	return 1;
}

static int at_end(const char *p)
{
	while (*p == ' ')
		p++;
	return *p == 0;
}

static int word_is(const char **p, const char *word)
{
	const char *s = *p;
	while (*word)
		if (*s++ != *word++)
			return 0;
	if (*s != ' ' && *s != 0)
		return 0;
	*p = s;
	return 1;
}

/* ---------------------------------------------------------------- commands */

static uint64_t counter_micros(void)
{
	uint64_t ticks, freq;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(ticks));
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	uint64_t per_micro = freq / 1000000;
	return per_micro == 0 ? ticks : ticks / per_micro;
}

static void do_read(const char *p, int bytes)
{
	uint64_t a;
	if (!parse_hex(&p, &a) || !at_end(p)) {
		put_line("err syntax");
		return;
	}
	if (a & (uint64_t)(bytes - 1)) {
		put_line("err align");
		return;
	}
	uint64_t v = bytes == 4 ? *(volatile uint32_t *)a : *(volatile uint64_t *)a;
	if (!report_fault())
		reply_value(v);
}

static void do_write(const char *p, int bytes)
{
	uint64_t a, v;
	if (!parse_hex(&p, &a) || !parse_hex(&p, &v) || !at_end(p)) {
		put_line("err syntax");
		return;
	}
	if (a & (uint64_t)(bytes - 1)) {
		put_line("err align");
		return;
	}
	if (bytes == 4)
		*(volatile uint32_t *)a = (uint32_t)v;
	else
		*(volatile uint64_t *)a = v;
	if (!report_fault())
		put_line("ok");
}

static void do_cas(const char *p)
{
	uint64_t a, old, new;
	if (!parse_hex(&p, &a) || !parse_hex(&p, &old) || !parse_hex(&p, &new) || !at_end(p)) {
		put_line("err syntax");
		return;
	}
	if (a & 7) {
		put_line("err align");
		return;
	}
	volatile uint64_t *w = (volatile uint64_t *)a;
	uint64_t seen = *w;
	if (report_fault())
		return;
	int swapped = seen == old;
	if (swapped)
		*w = new;
	if (!report_fault())
		reply_value((uint64_t)swapped);
}

static void do_fill(const char *p)
{
	uint64_t a, len, byte;
	if (!parse_hex(&p, &a) || !parse_hex(&p, &len) || !parse_hex(&p, &byte) || !at_end(p) ||
	    byte > 0xff) {
		put_line("err syntax");
		return;
	}
	uint64_t pattern = (byte & 0xff) * 0x0101010101010101ULL;
	uint64_t end = a + len;
	while (a < end && (a & 7)) {
		*(volatile uint8_t *)a++ = (uint8_t)byte;
		if (stub_fault_count != seen_faults)
			break;
	}
	while (a + 8 <= end && stub_fault_count == seen_faults) {
		*(volatile uint64_t *)a = pattern;
		a += 8;
	}
	while (a < end && stub_fault_count == seen_faults)
		*(volatile uint8_t *)a++ = (uint8_t)byte;
	if (!report_fault())
		put_line("ok");
}

static void do_pattern(const char *p)
{
	uint64_t a, len, seed;
	if (!parse_hex(&p, &a) || !parse_hex(&p, &len) || !parse_hex(&p, &seed) || !at_end(p)) {
		put_line("err syntax");
		return;
	}
	for (uint64_t i = 0; i < len && stub_fault_count == seen_faults; i++)
		*(volatile uint8_t *)(a + i) = (uint8_t)(1 + (seed * 37 + i * 11) % 126);
	if (!report_fault())
		put_line("ok");
}

static void do_read_block(const char *p)
{
	uint64_t a, len;
	if (!parse_hex(&p, &a) || !parse_hex(&p, &len) || !at_end(p)) {
		put_line("err syntax");
		return;
	}
	if (len == 0 || len > MAX_BLOCK) {
		put_line("err toolong");
		return;
	}
	char *out = append(reply, "ok ");
	for (uint64_t i = 0; i < len; i++) {
		uint8_t b = *(volatile uint8_t *)(a + i);
		if (stub_fault_count != seen_faults)
			break;
		*out++ = "0123456789abcdef"[b >> 4];
		*out++ = "0123456789abcdef"[b & 0xf];
	}
	*out = 0;
	if (!report_fault())
		put_line(reply);
}

static void do_write_block(const char *p)
{
	uint64_t a;
	if (!parse_hex(&p, &a)) {
		put_line("err syntax");
		return;
	}
	while (*p == ' ')
		p++;
	const char *digits = p;
	uint64_t n = 0;
	while (hex_digit(digits[n]) >= 0)
		n++;
	if (n == 0 || (n & 1) || !at_end(digits + n)) {
		put_line("err syntax");
		return;
	}
	for (uint64_t i = 0; i < n / 2 && stub_fault_count == seen_faults; i++) {
		uint8_t b = (uint8_t)(hex_digit(digits[2 * i]) << 4 | hex_digit(digits[2 * i + 1]));
		*(volatile uint8_t *)(a + i) = b;
	}
	if (!report_fault())
		put_line("ok");
}

static void do_sum(const char *p)
{
	uint64_t a, len;
	if (!parse_hex(&p, &a) || !parse_hex(&p, &len) || !at_end(p)) {
		put_line("err syntax");
		return;
	}
	if ((a | len) & 7) {
		put_line("err align");
		return;
	}
	uint64_t hash = 0xcbf29ce484222325ULL;
	for (uint64_t i = 0; i < len && stub_fault_count == seen_faults; i += 8) {
		hash ^= *(volatile uint64_t *)(a + i);
		hash *= 0x100000001b3ULL;
	}
	if (!report_fault())
		reply_value(hash);
}

static void do_scan(const char *p)
{
	uint64_t a, len, byte;
	if (!parse_hex(&p, &a) || !parse_hex(&p, &len) || !parse_hex(&p, &byte) || !at_end(p) ||
	    byte > 0xff) {
		put_line("err syntax");
		return;
	}
	uint64_t pattern = byte * 0x0101010101010101ULL;
	uint64_t count = 0, first = 0, last = 0;
	for (uint64_t i = 0; i < len && stub_fault_count == seen_faults;) {
		if (((a + i) & 7) == 0 && i + 8 <= len && *(volatile uint64_t *)(a + i) == pattern) {
			i += 8;
			continue;
		}
		if (*(volatile uint8_t *)(a + i) != byte) {
			if (count == 0)
				first = i;
			last = i;
			count++;
		}
		i++;
	}
	if (report_fault())
		return;
	char *out = append(reply, "ok ");
	out = append_hex(out, count);
	out = append(out, " ");
	out = append_hex(out, first);
	out = append(out, " ");
	out = append_hex(out, last);
	*out = 0;
	put_line(reply);
}

static void do_poll(const char *p)
{
	uint64_t a, mask, value, micros;
	if (!parse_hex(&p, &a) || !parse_hex(&p, &mask) || !parse_hex(&p, &value) ||
	    !parse_hex(&p, &micros) || !at_end(p)) {
		put_line("err syntax");
		return;
	}
	if (a & 3) {
		put_line("err align");
		return;
	}
	uint64_t deadline = counter_micros() + micros;
	uint32_t seen;
	for (;;) {
		seen = *(volatile uint32_t *)a;
		if (report_fault())
			return;
		if ((seen & mask) == value) {
			reply_value(seen);
			return;
		}
		if (counter_micros() > deadline)
			break;
	}
	char *out = append(reply, "err timeout ");
	out = append_hex(out, seen);
	*out = 0;
	put_line(reply);
}

static void execute(const char *p)
{
	if (word_is(&p, "r4"))
		do_read(p, 4);
	else if (word_is(&p, "r8"))
		do_read(p, 8);
	else if (word_is(&p, "w4"))
		do_write(p, 4);
	else if (word_is(&p, "w8"))
		do_write(p, 8);
	else if (word_is(&p, "cas8"))
		do_cas(p);
	else if (word_is(&p, "fill"))
		do_fill(p);
	else if (word_is(&p, "pattern"))
		do_pattern(p);
	else if (word_is(&p, "rb"))
		do_read_block(p);
	else if (word_is(&p, "wb"))
		do_write_block(p);
	else if (word_is(&p, "sum"))
		do_sum(p);
	else if (word_is(&p, "scan"))
		do_scan(p);
	else if (word_is(&p, "poll4"))
		do_poll(p);
	else if (word_is(&p, "id") && at_end(p))
		put_line("ok smmulab-stub " STUB_VERSION);
	else
		put_line("err unknown");
}

void stub_main(void)
{
	uart_init();
	seen_faults = stub_fault_count;
	put_line("ready");
	for (;;) {
		uint64_t n = 0;
		int overflow = 0;
		for (;;) {
			char c = uart_getc();
			if (c == '\n')
				break;
			if (c == '\r')
				continue;
			if (n < LINE_MAX - 1)
				line[n++] = c;
			else
				overflow = 1;
		}
		line[n] = 0;
		if (overflow)
			put_line("err toolong");
		else if (n > 0)
			execute(line);
	}
}
