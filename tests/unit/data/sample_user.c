/* Sample root-task-like program for the ELF unit tests: code, initialised data and bss, so the
 * linker emits an executable segment and a writable one whose memory size exceeds its file size. */
#define SAMPLE_DATA_WORDS 64
#define SAMPLE_BSS_WORDS  1024

volatile unsigned long sample_data[SAMPLE_DATA_WORDS] = {1, 2, 3};
volatile unsigned long sample_bss[SAMPLE_BSS_WORDS];

void _start(void);

void _start(void)
{
    for (;;) {
        sample_bss[sample_data[0] % SAMPLE_BSS_WORDS]++;
    }
}
