import { Injectable, PipeTransform } from '@nestjs/common';
import { parseCreateBody } from './create-body.normalizer';
import { CreateUserMessageDto } from './dto/create-user-message.dto';

/**
 * Body pipe for POST /v2/messages. The handler types the body as a plain record so the global
 * strict ValidationPipe passes it through untouched; this pipe then does the lenient binding.
 */
@Injectable()
export class CreateUserMessagePipe implements PipeTransform<unknown, CreateUserMessageDto> {
  transform(value: unknown): CreateUserMessageDto {
    return parseCreateBody(value);
  }
}
