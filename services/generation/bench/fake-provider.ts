// The local OpenAI-compatible server of the gateway benchmark, as a process of its own like a real
// local provider (vLLM, Ollama, llama.cpp): prints `url=<base URL>` once listening.
import { startFakeOpenAi } from '../test/support/fake-openai.ts'

const fake = await startFakeOpenAi({ record: false })
fake.answer = (_req, i) => `A short answer about the topic, variant ${i}.`
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)))
process.stdout.write(`url=${fake.url}\n`)
