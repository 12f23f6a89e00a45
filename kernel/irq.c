/* Interrupt dispatch. The kernel timer only wakes the kernel: budget ends and releases are
 * found by the scheduler's accounting at entry and exit, which also re-arms the timer. */
#include "kernel/irq.h"

#include "arch/aarch64/irq_controller.h"
#include "arch/aarch64/timer.h"
#include "kernel/console.h"
#include "kernel/thread.h"

static uint64_t timer_irqs;

uint64_t irq_timer_count(void)
{
    return timer_irqs;
}

static void handle_timer(void)
{
    timer_ack();
    if (timer_irqs++ == 0) {
        kprintf_note("kairos: first timer interrupt taken at tick %lu\n", timer_now());
    }
    thread_idle_tick();
}

void irq_handle_pending(void)
{
    uint32_t irq = irq_claim();
    if (irq == IRQ_NONE) {
        return;
    }
    if (irq == KERNEL_TIMER_IRQ) {
        handle_timer();
    } else {
        kprintf("kairos: warning: interrupt %u with no handler; masked\n", irq);
        irq_disable(irq);
    }
    irq_end(irq);
}
