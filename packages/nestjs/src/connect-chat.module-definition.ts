import type { ConnectChatOptions } from '@connect-chat/core';
import { ConfigurableModuleBuilder } from '@nestjs/common';

/**
 * What `ConnectChatModule.forRoot()` takes, and what a `forRootAsync()` factory returns: core's
 * `ConnectChatOptions`. Routes are `${basePath}/${provider.name}` (default `/webhooks`).
 *
 * @example
 * const options: ConnectChatModuleOptions = { providers: [createTwilioProvider({ authToken })], route: { destination } };
 */
export type ConnectChatModuleOptions = ConnectChatOptions;

/**
 * A class that `forRootAsync({ useClass })` instantiates to produce the options.
 *
 * @example
 * @Injectable()
 * class ConnectChatConfig implements ConnectChatOptionsFactory {
 *   constructor(private readonly config: ConfigService) {}
 *   createConnectChatOptions() {
 *     return { providers: [createTwilioProvider({ authToken: this.config.getOrThrow('TWILIO_AUTH_TOKEN') })], route: { destination: this.config.getOrThrow('CONNECT_DESTINATION_ID') } };
 *   }
 * }
 */
export interface ConnectChatOptionsFactory {
  createConnectChatOptions(): ConnectChatModuleOptions | Promise<ConnectChatModuleOptions>;
}

/**
 * `CONNECT_CHAT_MODULE_OPTIONS`: the injection token of the resolved options (after
 * `forRootAsync`'s factory ran), for providers that need the same configuration.
 *
 * @example
 * constructor(@Inject(CONNECT_CHAT_MODULE_OPTIONS) private readonly options: ConnectChatModuleOptions) {}
 */
export const {
  ConfigurableModuleClass: ConnectChatConfigurableModule,
  MODULE_OPTIONS_TOKEN: CONNECT_CHAT_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ConnectChatModuleOptions>({ moduleName: 'ConnectChat' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createConnectChatOptions')
  // Lets app code inject ConnectChatService anywhere without re-importing the module.
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * `ConnectChatModule.forRoot()`'s argument: the options plus `isGlobal`.
 *
 * @example
 * ConnectChatModule.forRoot({ ...options, isGlobal: true } satisfies ConnectChatModuleForRootOptions);
 */
export type ConnectChatModuleForRootOptions = typeof OPTIONS_TYPE;

/**
 * `ConnectChatModule.forRootAsync()`'s argument: `imports`, `inject` and one of `useFactory`,
 * `useClass`, `useExisting`, plus `isGlobal`.
 *
 * @example
 * const async: ConnectChatModuleAsyncOptions = { inject: [ConfigService], useFactory: (config: ConfigService) => optionsFrom(config) };
 */
export type ConnectChatModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;
