/* pinscope real-kernel runtime, part 3: the program's main. A supervisor forks task "main"; the tasks take
 * turns running statements in order (one at a time, as the scenario says). Included last. */
#include <sys/prctl.h>
static void run_tasks(void) {
  for (;;) {
    while (ctl->cur != me) {
      if (ctl->finished || ctl->exitreq[me]) _exit(0);
      sched_yield();
    }
    if (ctl->exitreq[15]) { int pid = ctl->exitreq[15]; ctl->exitreq[15] = 0; wait_gone(pid); }
    int pc = ctl->pc;
    if (pc >= NSTEPS) { ctl->finished = 1; _exit(0); }
    ctl->pc = pc + 1;
    step(pc);
  }
}
int main(void) {
  rt_init();
  rec_init();
  for (int i = 0; i < MAXH; i++) h_fd[i] = -1;
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  prelude();
  int pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) { me = 0; rt_reopen_pagemap(); run_tasks(); }
  ctl->pid[0] = pid;
  /* supervisor: wait for the end (or a timeout), then collect every task */
  for (int i = 0; i < 180 * 1000 && !ctl->finished; i++) { /* at most about 3 minutes */
    int st;
    if (waitpid(-1, &st, WNOHANG) > 0 && !ctl->finished) {
      int alive = 0;
      for (int t = 0; t < 15; t++) if (ctl->pid[t] && !ctl->exitreq[t] && kill(ctl->pid[t], 0) == 0) alive++;
      if (!alive) { out("@@I every task exited before the end (pc %d)", ctl->pc); break; }
    }
    usleep(1000);
  }
  if (!ctl->finished) out("@@I stopped at statement %d of %d", ctl->pc, NSTEPS);
  ctl->finished = 1;
  while (wait(NULL) > 0) {}
  rec_finish();
  return 0;
}
