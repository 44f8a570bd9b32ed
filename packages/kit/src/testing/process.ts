import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

export interface StartedProcess {
  child: ChildProcess
  /** The match of `ready` in the output. */
  match: RegExpExecArray
  /** Everything printed so far (stdout and stderr). */
  output(): string
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** Resolves with the exit code once the process has exited. */
export function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  )
}

/**
 * Runs a TypeScript entry point with this Node and resolves once its output matches `ready`, or
 * once `ready()` answers true when it is a probe (rejects if it exits first). Only PATH is
 * inherited from the environment.
 */
export function startNodeProcess(script: string, env: Record<string, string>, ready: RegExp | (() => Promise<boolean>)): Promise<StartedProcess> {
  const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  process.once('exit', () => child.kill('SIGKILL'))
  let out = ''
  let settled = false
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => {
      settled = true
      reject(new Error(`${script} exited with ${code} before it was ready: ${out}`))
    }
    const done = (match: RegExpExecArray) => {
      if (settled) return
      settled = true
      child.removeListener('exit', onExit)
      const stop = (signal: NodeJS.Signals = 'SIGTERM') => {
        const exited = exitCode(child)
        child.kill(signal)
        return exited
      }
      resolve({ child, match, output: () => out, stop })
    }
    child.once('exit', onExit)
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const match = ready instanceof RegExp ? ready.exec(out) : null
      if (match) done(match)
    })
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString()
    })
    if (typeof ready === 'function') {
      const poll = async () => {
        if (settled) return
        if (await ready().catch(() => false)) done(/(?:)/.exec('') as RegExpExecArray)
        else setTimeout(poll, 50)
      }
      void poll()
    }
  })
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere.
 * Benchmarks report a server's CPU per request with it: steadier than requests per second on a
 * machine the load generator shares.
 */
export function cpuSeconds(pid: number | undefined): number | undefined {
  const fields = statOf(pid)
  return fields && (Number(fields[11]) + Number(fields[12])) / 100
}

/**
 * Minor page faults a process has taken so far, from /proc (Linux); undefined elsewhere. Each is
 * a fresh page mapped in (on the Firecracker VMs measured here, ~15 µs), so benchmarks report them
 * per request: large allocations (V8's large-object space) show up here first.
 */
export function minorFaults(pid: number | undefined): number | undefined {
  const fields = statOf(pid)
  return fields && Number(fields[7])
}

/** The stat fields of a process (see statFields); undefined without /proc or the process. */
function statOf(pid: number | undefined): string[] | undefined {
  if (pid === undefined) return undefined
  try {
    return statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return undefined
  }
}

/** The fields of a /proc stat line after the command name (which may hold spaces). */
const statFields = (stat: string) => stat.slice(stat.lastIndexOf(')') + 2).split(' ')

/**
 * CPU seconds (user + system, with their reaped children's) every process of this command name
 * has used so far, e.g. `postgres` for a Postgres on this machine: its backends, writers and
 * forked workers. Undefined without /proc or when none runs.
 */
export function cpuSecondsOfCommand(command: string): number | undefined {
  let total: number | undefined
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== command) continue
        const f = statFields(stat)
        total = (total ?? 0) + (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100
      } catch {
        // Gone between the listing and the read.
      }
    }
  } catch {
    return undefined
  }
  return total
}
