export function chromiumPath(): string;
export function chromiumPresent(): boolean;
