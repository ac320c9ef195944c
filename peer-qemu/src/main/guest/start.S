/*
 * Start-up code of the SMMU Lab guest stub: runs at EL1 with the MMU off, sets the stack and the
 * exception vectors, clears .bss and enters stub_main. Every exception is recorded for the C code
 * (stub_fault_*); a synchronous one resumes after the faulting instruction, so a failed access
 * becomes an error reply instead of a hang.
 */
	.section .text.boot, "ax"
	.global _start
_start:
	ldr	x0, =__stack_top
	mov	sp, x0
	ldr	x0, =stub_vectors
	msr	vbar_el1, x0
	isb
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	bl	stub_main
3:	wfe
	b	3b

/* One vector entry: save x0/x1, note which entry this is, join the common handler. */
	.macro	vector index
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mov	x0, #\index
	b	stub_exception
	.endm

	.text
	.balign	0x800
stub_vectors:
	vector	0
	vector	1
	vector	2
	vector	3
	vector	4
	vector	5
	vector	6
	vector	7
	vector	8
	vector	9
	vector	10
	vector	11
	vector	12
	vector	13
	vector	14
	vector	15

/*
 * x0 = vector index (index % 4: 0 synchronous, 1 IRQ, 2 FIQ, 3 SError). Records index, ESR and
 * FAR, counts the exception, and for a synchronous one skips the faulting instruction.
 */
stub_exception:
	ldr	x1, =stub_fault_vector
	str	x0, [x1]
	and	x0, x0, #3
	cbnz	x0, 1f
	mrs	x0, elr_el1
	add	x0, x0, #4
	msr	elr_el1, x0
1:	mrs	x0, esr_el1
	ldr	x1, =stub_fault_esr
	str	x0, [x1]
	mrs	x0, far_el1
	ldr	x1, =stub_fault_far
	str	x0, [x1]
	ldr	x1, =stub_fault_count
	ldr	x0, [x1]
	add	x0, x0, #1
	str	x0, [x1]
	ldp	x0, x1, [sp], #16
	eret
	.ltorg
