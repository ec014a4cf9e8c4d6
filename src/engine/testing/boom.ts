// Test support: an error shaped like the Boom errors Baileys throws and closes connections with.
export function boom(statusCode: number, message: string, data?: unknown): Error {
  return Object.assign(new Error(message), { isBoom: true, output: { statusCode }, data });
}
