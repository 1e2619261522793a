import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { sendAdminPage, DEFAULT_ADMIN_LIMIT } from '../admin/admin-paging';
import { ListAuditQueryDto } from '../admin/dto/lifecycle.dto';
import { AuditEntryDto } from '../admin/dto/lifecycle-response.dto';
import { AdminAuth } from '../auth/auth.decorators';
import { ErrorResponseDto } from '../http/error-response.dto';
import { PAGE_LINK_HEADER } from '../user-messages/paging.http';
import { AuditService } from './audit.service';

@ApiTags('admin')
@AdminAuth()
@ApiBadRequestResponse({ type: ErrorResponseDto })
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Every admin write (API and CLI), newest first, with secrets masked; ?target=account:12 for one object' })
  @ApiOkResponse({ type: AuditEntryDto, isArray: true, headers: PAGE_LINK_HEADER })
  async list(@Query() query: ListAuditQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<AuditEntryDto[]> {
    const page = await this.audit.list({ target: query.target, action: query.action }, { limit: query.limit ?? DEFAULT_ADMIN_LIMIT, cursor: query.cursor });
    return sendAdminPage(reply, page);
  }
}
