export declare function bytesEqual(given: Uint8Array, known: Uint8Array): boolean;
export declare function secretsEqual(given: string | null | undefined, known: string | null | undefined): boolean;
