import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-responses';
import { SearchQueryDto } from './dto/search-query.dto';
import { SearchPageDto } from './dto/search-response.dto';
import { SearchService } from './search.service';

@ApiTags('search')
@Controller('api')
export class SearchController {
  constructor(private readonly searchService: SearchService) {}

  @Get('search')
  @ApiOperation({
    summary: 'Search transcriptions and analysis results',
    description:
      'Full-text search (web-search syntax) over transcription text, stemmed by each transcription’s language, ' +
      'and over analysis summaries and detailed analyses (English). Best hits first; keyset paging through `cursor`.',
  })
  @ApiOkResponse({ type: SearchPageDto })
  @ApiErrors(400)
  search(@Query() query: SearchQueryDto) {
    return this.searchService.search(query);
  }
}
