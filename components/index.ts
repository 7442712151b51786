export * as data from "./data";
export * as edge from "./edge";
export * as messaging from "./messaging";
export * as monitoring from "./monitoring";
export * as project from "./project";
export * as scheduling from "./scheduling";
export * as workers from "./workers";
export { TaskstackInputError, isTaskstackInputError } from "./shared/errors";
