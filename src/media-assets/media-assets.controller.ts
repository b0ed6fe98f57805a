import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors, BODY_ERRORS } from '../common/api-responses';
import { UuidParam } from '../common/uuid-param.decorator';
import { CreateMediaAssetDto } from './dto/create-media-asset.dto';
import { ListMediaAssetsQueryDto } from './dto/list-media-assets-query.dto';
import { MediaAssetPageDto, MediaAssetResponseDto } from './dto/media-asset-response.dto';
import { MediaAssetsRepository } from './media-assets.repository';

@ApiTags('media-assets')
@Controller('api')
export class MediaAssetsController {
  constructor(private readonly assets: MediaAssetsRepository) {}

  @Post('jobs/:id/assets')
  @ApiOperation({ summary: 'Record a media asset of a job' })
  @ApiCreatedResponse({ type: MediaAssetResponseDto })
  @ApiErrors(...BODY_ERRORS, 404)
  async create(
    @UuidParam('id') jobId: string,
    @Body() body: CreateMediaAssetDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const asset = await this.assets.create(jobId, body);
    reply.header('Location', `/api/assets/${asset.id}`);
    return asset;
  }

  @Get('jobs/:id/assets')
  @ApiOperation({ summary: "List a job's media assets, oldest first" })
  @ApiOkResponse({ type: MediaAssetPageDto })
  @ApiErrors(400, 404)
  list(@UuidParam('id') jobId: string, @Query() query: ListMediaAssetsQueryDto) {
    return this.assets.listByJobId(jobId, query, query.asset_type);
  }

  @Get('assets/:asset_id')
  @ApiOperation({ summary: 'Get a media asset' })
  @ApiOkResponse({ type: MediaAssetResponseDto })
  @ApiErrors(400, 404)
  get(@UuidParam('asset_id') id: string) {
    return this.assets.getById(id);
  }

  @Delete('assets/:asset_id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a media asset' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(400, 404)
  async delete(@UuidParam('asset_id') id: string): Promise<void> {
    await this.assets.delete(id);
  }
}
