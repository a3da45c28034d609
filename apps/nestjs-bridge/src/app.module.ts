import { ConnectChatModule, type ConnectChatModuleOptions } from '@connect-chat/nestjs';
import { Controller, type DynamicModule, Get, Module } from '@nestjs/common';

@Controller()
class HealthController {
  @Get('healthz')
  health() {
    return { status: 'ok' };
  }
}

@Module({})
export class AppModule {
  /** The bridge's options come from the environment (see main.ts), so the module takes them as an argument. */
  static register(options: ConnectChatModuleOptions): DynamicModule {
    return { module: AppModule, imports: [ConnectChatModule.forRoot(options)], controllers: [HealthController] };
  }
}
