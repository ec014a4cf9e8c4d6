// Groups of the sandbox world (filled in by the groups feature).
export class GroupDirectory {}
