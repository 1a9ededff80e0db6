/**
 * What algorithms speak: label -> number, for the labels active in one configuration.
 * A choice's value is the index of the chosen option; a numeric parameter's value is the number itself.
 */
export type Assignment = Record<string, number>;
