import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { checkedParam } from '../http/param.pipes';

/** A delivery id: a positive 64-bit integer, kept as a string. */
@Injectable()
export class DeliveryIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[1-9]\d{0,17}$/.test(value)) throw new BadRequestException('id must be a delivery id');
    return value;
  }
}

/** `@Param(name, DeliveryIdPipe)`, documented as the digits it accepts. */
export const DeliveryIdParam = checkedParam(DeliveryIdPipe, { type: 'string', pattern: '^[1-9][0-9]{0,17}$', example: '42' });
