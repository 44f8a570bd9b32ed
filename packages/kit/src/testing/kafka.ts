import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers'

export interface KafkaPeer {
  brokers: string
  stop(): Promise<void>
}

function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/**
 * Starts librdkafka's mock cluster (it speaks the real Kafka protocol) through kcat and resolves
 * with its bootstrap servers. Stop it by calling `stop()`; it also dies with this process.
 */
export function startKcatMockCluster(brokers = 3): Promise<KafkaPeer> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn('kcat', ['-X', `test.mock.num.brokers=${brokers}`, '-b', 'dummy', '-C', '-t', 'keepalive', '-d', 'mock'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let buffer = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error('kcat mock cluster did not report its bootstrap servers within 10s'))
    }, 10_000)
    child.stderr?.on('data', (chunk: Buffer) => {
      if (buffer === null) return
      buffer += chunk.toString()
      const match = /bootstrap\.servers=([0-9.:,]+)/.exec(buffer)
      if (match?.[1]) {
        clearTimeout(timer)
        buffer = ''
        child.stderr?.removeAllListeners('data')
        child.stderr?.resume()
        const stop = () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done()
            child.once('exit', () => done())
            child.kill('SIGTERM')
          })
        process.once('exit', () => child.kill('SIGKILL'))
        resolve({ brokers: match[1], stop })
      }
    })
    child.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
  })
}

async function dockerAnswers(): Promise<boolean> {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 })
    return true
  } catch {
    return false
  }
}

/**
 * A Kafka for tests: `KAFKA_BROKERS` when set (CI), else the kcat mock cluster when kcat is
 * installed, else a Kafka container when a Docker engine answers.
 */
export async function kafkaForTests(): Promise<KafkaPeer> {
  const fromEnv = process.env.KAFKA_BROKERS
  if (fromEnv) return { brokers: fromEnv, stop: async () => {} }
  if (hasCommand('kcat')) return startKcatMockCluster()
  if (await dockerAnswers()) {
    const container: StartedTestContainer = await new GenericContainer('apache/kafka:3.9.0')
      .withExposedPorts({ container: 9092, host: 29092 })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
        KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://localhost:29092',
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'true',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start()
    return { brokers: 'localhost:29092', stop: async () => void (await container.stop()) }
  }
  throw new Error('No Kafka for tests: set KAFKA_BROKERS, install kcat (apt-get install kcat), or run a Docker engine')
}
