import { type ChildProcess, spawn } from 'node:child_process'

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
 * Runs a TypeScript entry point with this Node and resolves once its output matches `ready`
 * (rejects if it exits first). Only PATH is inherited from the environment.
 */
export function startNodeProcess(script: string, env: Record<string, string>, ready: RegExp): Promise<StartedProcess> {
  const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  process.once('exit', () => child.kill('SIGKILL'))
  let out = ''
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString()
      const match = ready.exec(out)
      if (match) {
        child.removeListener('exit', onExit)
        resolve({
          child,
          match,
          output: () => out,
          stop: (signal = 'SIGTERM') => {
            const done = exitCode(child)
            child.kill(signal)
            return done
          },
        })
      }
    }
    const onExit = (code: number | null) => reject(new Error(`${script} exited with ${code} before it was ready: ${out}`))
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString()
    })
    child.once('exit', onExit)
  })
}
