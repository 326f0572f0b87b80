export declare function organisationFromPath(url: string): string | null;
