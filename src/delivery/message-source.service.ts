export { UserMessageSource as MessageSource } from './message-source.port';
