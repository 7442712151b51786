export * as data from "./data";
export * as messaging from "./messaging";
export * as monitoring from "./monitoring";
export { TaskstackInputError, isTaskstackInputError } from "./shared/errors";
