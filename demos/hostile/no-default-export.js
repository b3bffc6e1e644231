// Hostile fixture: a module without a default export.
export function frame() {}
