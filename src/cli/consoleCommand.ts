export async function consoleCommand(_argv: string[]): Promise<number> { throw new Error("console: not built yet"); }
