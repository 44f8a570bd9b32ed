import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateApiKey, hashApiKey } from '@attune/kit'

export interface EmbeddedKeys {
  /** Raw admin key, only known on the start that minted it. */
  adminKey?: string
  /** Browser-safe key; kept in clear so it can be printed on every start. */
  publicKey: string
  /** The `ATTUNE_API_KEYS` value the services get. */
  spec: string
}

interface KeysFile {
  adminKeyHash: string
  publicKey: string
}

/** Reads the keys under `home`, minting them on first start (only the admin key's hash is kept). */
export function loadOrCreateKeys(home: string): EmbeddedKeys {
  const file = join(home, 'keys.json')
  let adminKey: string | undefined
  let stored: KeysFile
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8')) as KeysFile
  } else {
    adminKey = generateApiKey('secret')
    stored = { adminKeyHash: hashApiKey(adminKey), publicKey: generateApiKey('public') }
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 })
  }
  return {
    ...(adminKey ? { adminKey } : {}),
    publicKey: stored.publicKey,
    spec: `embedded-admin:secret:${stored.adminKeyHash},embedded-site:public:${hashApiKey(stored.publicKey)}`,
  }
}
