import type { Kysely } from 'kysely'

/**
 * `db` with every statement it sends recorded by its root node's kind (`SelectQueryNode`,
 * `DeleteQueryNode`, `RawNode` for `sql` templates …), transactions' statements included; a
 * sub-query built with the query builder counts as one more. For tests that assert how much work
 * a path sends to the database.
 */
export function recordingStatements<DB>(db: Kysely<DB>): { db: Kysely<DB>; kinds: string[] } {
  const kinds: string[] = []
  return {
    kinds,
    db: db.withPlugin({
      transformQuery: (args) => {
        kinds.push(args.node.kind)
        return args.node
      },
      transformResult: async (args) => args.result,
    }),
  }
}
