// Options of the sandbox runtime (the process pool), apart from run limits: how many processes, how long an
// idle one lives.
export interface ResolvedPoolOptions {
  minProcesses: number;
  maxProcesses: number;
  idleProcessMs: number;
}
