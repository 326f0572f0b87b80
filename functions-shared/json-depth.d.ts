export declare const MAX_JSON_DEPTH: number;
export declare function jsonTooDeep(text: string, max?: number): boolean;
