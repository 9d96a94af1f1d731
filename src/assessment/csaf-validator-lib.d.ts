// The package ships JavaScript with JSDoc but no declarations; this is the one module we use.
declare module '@secvisogram/csaf-validator-lib/cwe.js' {
  /** The CWE catalogue the CSAF validator checks `cwe.id`/`cwe.name` against. */
  export const weaknesses: readonly { readonly id: string; readonly name: string }[];
}
