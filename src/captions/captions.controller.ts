import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../common/api-responses';
import { UuidParam } from '../common/uuid-param.decorator';
import { CaptionsService } from './captions.service';
import { CaptionsQueryDto } from './dto/captions-query.dto';
import { CAPTION_MEDIA_TYPES } from './formats';

const EXAMPLES = {
  'text/vtt': 'WEBVTT\n\n00:00:00.320 --> 00:00:02.150\nHello and welcome to the\nquarterly review.\n',
  'application/x-subrip': '1\n00:00:00,320 --> 00:00:02,150\nHello and welcome to the\nquarterly review.\n',
  'text/plain': 'Hello and welcome to the\nquarterly review.\n',
};

@ApiTags('transcriptions')
@Controller('api')
export class CaptionsController {
  constructor(private readonly captions: CaptionsService) {}

  @Get('transcriptions/:transcription_id/captions')
  @ApiOperation({
    summary: 'Captions of a transcription (WebVTT, SubRip or plain text)',
    description:
      'Built from the word-timestamp array: cues break at sentence ends, pauses of a second or more, ' +
      'and the line, line-count and duration limits; times are exact to the millisecond. ' +
      'Without a word-timestamp array, vtt and srt answer 422 and txt gives the text as stored.',
  })
  @ApiProduces(...Object.values(CAPTION_MEDIA_TYPES))
  @ApiOkResponse({
    description: 'The captions, UTF-8, as a download named after the transcription.',
    content: Object.fromEntries(
      Object.entries(EXAMPLES).map(([type, example]) => [type, { schema: { type: 'string' }, example }]),
    ),
  })
  @ApiErrors(400, 404, 422)
  async download(
    @UuidParam('transcription_id') id: string,
    @Query() query: CaptionsQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { format, body } = await this.captions.render(id, query);
    reply.type(`${CAPTION_MEDIA_TYPES[format]}; charset=utf-8`);
    reply.header('Content-Disposition', `attachment; filename="${id}.${format}"`);
    return body;
  }
}
